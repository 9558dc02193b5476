//! The success envelope: `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata>
//! <RequestId>…</RequestId></ResponseMetadata></XResponse>`.

use crate::Action;
use serde::Serialize;

/// An action's answer, with `result` rendered as `<{Action}Result>` (or no result element for
/// actions that answer nothing, like `AddTagsToResource`).
pub fn success<T: Serialize>(action: Action, result: Option<&T>, request_id: &str) -> String {
    let name = action.name();
    let body = result
        .map(|r| {
            quick_xml::se::to_string_with_root(&format!("{name}Result"), r)
                .unwrap_or_else(|e| format!("<!-- cannot render the result: {e} -->"))
        })
        .unwrap_or_default();
    // Rows written before every parameter was checked may hold text XML cannot carry.
    crate::text::xml_safe(format!(
        "<{name}Response xmlns=\"{}\">{body}<ResponseMetadata><RequestId>{request_id}</RequestId>\
         </ResponseMetadata></{name}Response>",
        action.namespace()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Result {
        #[serde(rename = "Account")]
        account: &'static str,
    }

    #[test]
    fn wraps_results() {
        assert_eq!(
            success(Action::GetCallerIdentity, Some(&Result { account: "0<1" }), "r1"),
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Account>0&lt;1</Account></GetCallerIdentityResult>\
             <ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
        );
        assert_eq!(
            success::<Result>(Action::AddTagsToResource, None, "r2"),
            "<AddTagsToResourceResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
             <ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></AddTagsToResourceResponse>"
        );
    }
}
