//! `ListUserPolicies`'s output, the names of one page of the user's inline policies; its
//! input is a [`HolderListInput`](super::holder::HolderListInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserPolicies.html>

use super::inline::policy_names_output;

policy_names_output!(
    /// `ListUserPoliciesResult`.
    ListUserPoliciesOutput,
    ListUserPolicies
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::iam::Page;
    use crate::actions::Output;

    #[test]
    fn names_are_members_and_the_marker_shows_when_truncated() {
        let xml = ListUserPoliciesOutput::from(Page {
            items: vec!["a".to_owned(), "b".to_owned()],
            marker: Some("b".into()),
        })
        .to_xml("r");
        assert!(
            xml.contains(
                "<ListUserPoliciesResult><PolicyNames><member>a</member><member>b</member>\
                 </PolicyNames><IsTruncated>true</IsTruncated><Marker>b</Marker>\
                 </ListUserPoliciesResult>"
            ),
            "{xml}"
        );
        let empty = ListUserPoliciesOutput::from(Page {
            items: Vec::new(),
            marker: None,
        })
        .to_xml("r");
        assert!(
            empty.contains(
                "<ListUserPoliciesResult><PolicyNames/><IsTruncated>false</IsTruncated>\
                 </ListUserPoliciesResult>"
            ),
            "{empty}"
        );
    }
}
