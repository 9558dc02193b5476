//! The success envelope: `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata>
//! <RequestId>…</RequestId></ResponseMetadata></XResponse>`.

use crate::Action;
use serde::Serialize;

/// An action's answer, with `result` rendered as `<{Action}Result>` (or no result element for
/// actions that answer nothing, like `AddTagsToResource`).
pub fn success<T: Serialize>(action: Action, result: Option<&T>, request_id: &str) -> String {
    let name = action.name();
    // One buffer for the whole document: a page of instances is ~100 KB.
    let mut out = format!("<{name}Response xmlns=\"{}\">", action.namespace());
    if let Some(r) = result {
        if let Err(e) = quick_xml::se::to_writer_with_root(&mut out, &format!("{name}Result"), r) {
            out.push_str(&format!("<!-- cannot render the result: {e} -->"));
        }
    }
    out.push_str(&format!(
        "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{name}Response>"
    ));
    // Rows written before every parameter was checked may hold text XML cannot carry.
    crate::text::xml_safe(out)
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
