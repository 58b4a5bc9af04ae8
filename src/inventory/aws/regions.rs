//! Every region the account can use: `ec2:DescribeRegions` with `AllRegions=true`, keeping
//! those whose opt-in status is `opt-in-not-required` or `opted-in`. A region that is not
//! enabled would answer every call with an authorization error; it is left out, not listed.

use super::error::{ErrorKind, ListError};
use super::http::{xml_elements, xml_text, Call, Http, EC2};
use crate::inventory::ProgressSink;

/// The enabled regions, in the order EC2 gives them.
pub(crate) async fn enabled(
    http: &Http,
    region: &str,
    progress: &dyn ProgressSink,
) -> Result<Vec<String>, ListError> {
    let grant = ["ec2:DescribeRegions".to_string()];
    let call = Call {
        api: EC2,
        call: "ec2:DescribeRegions",
        subject: "",
        region,
        grant: &grant,
        label: ("aws:*", ""),
    };
    let xml = http
        .query(
            &call,
            &[
                ("Action", "DescribeRegions"),
                ("Version", "2016-11-15"),
                ("AllRegions", "true"),
            ],
            progress,
        )
        .await?;
    let regions = parse(&xml);
    if regions.is_empty() {
        return Err(ListError::new(
            call.call,
            "",
            region,
            ErrorKind::Decode {
                message: "the answer named no enabled region".into(),
            },
        ));
    }
    Ok(regions)
}

fn parse(xml: &str) -> Vec<String> {
    let Some(info) = xml_elements(xml, "regionInfo").into_iter().next() else {
        return Vec::new();
    };
    xml_elements(info, "item")
        .into_iter()
        .filter_map(|item| {
            let name = xml_text(item, "regionName")?;
            // Older answers carry no opt-in status: those regions need none.
            let status = xml_text(item, "optInStatus").unwrap_or_default();
            matches!(status.as_str(), "" | "opt-in-not-required" | "opted-in").then_some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_enabled_regions_are_kept() {
        let xml = r#"<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>1</requestId>
  <regionInfo>
    <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
    <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>
    <item><regionName>me-south-1</regionName><regionEndpoint>ec2.me-south-1.amazonaws.com</regionEndpoint><optInStatus>opted-in</optInStatus></item>
  </regionInfo>
</DescribeRegionsResponse>"#;
        assert_eq!(super::parse(xml), ["eu-west-1", "me-south-1"]);
    }
}
