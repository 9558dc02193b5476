//! `ListAttachedUserPolicies`'s output, one page of the managed policies attached to the
//! user; its input is a
//! [`ListAttachedPoliciesInput`](super::attached::ListAttachedPoliciesInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedUserPolicies.html>

use super::attached::attached_policies_output;

attached_policies_output!(
    /// `ListAttachedUserPoliciesResult`.
    ListAttachedUserPoliciesOutput,
    ListAttachedUserPolicies
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::iam::attached::AttachedPolicy;
    use crate::actions::iam::Page;
    use crate::actions::Output;

    #[test]
    fn policies_are_members_with_their_names() {
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let xml = ListAttachedUserPoliciesOutput::from(Page {
            items: vec![AttachedPolicy::of(arn.into())],
            marker: None,
        })
        .to_xml("r");
        assert!(
            xml.contains(&format!(
                "<ListAttachedUserPoliciesResult><AttachedPolicies><member>\
                 <PolicyName>AdministratorAccess</PolicyName><PolicyArn>{arn}</PolicyArn>\
                 </member></AttachedPolicies><IsTruncated>false</IsTruncated>\
                 </ListAttachedUserPoliciesResult>"
            )),
            "{xml}"
        );
    }
}
