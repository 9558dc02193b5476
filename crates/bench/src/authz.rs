//! The cost of authorization: signed `DescribeDBInstances` of one instance by the account's
//! root (allowed without a policy) and by an IAM user whose ten groups each give it a policy of
//! ten statements (denies and allows the request does not match, conditions, and one allow
//! that does, in the last), at the same concurrency, alternated in one run.

use crate::api::{cornac, in_deployment_dir, load_as, Server, SCENARIOS};
use crate::stats::{ms, percentile};
use anyhow::{bail, Context};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// Requests in each cell.
    #[arg(long, default_value_t = 4000)]
    pub requests: usize,
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Rounds of root, then user.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
}

/// Policy number `n` of ten statements; only the last policy's last statement allows the
/// measured request.
fn policy(n: usize) -> String {
    let mut statements: Vec<String> = (0..9)
        .map(|i| {
            let (effect, action) = if i % 3 == 0 {
                ("Deny", "rds:Delete*")
            } else {
                ("Allow", "rds:Create*")
            };
            format!(
                r#"{{"Sid":"S{i}","Effect":"{effect}","Action":["{action}","rds:Modify?BInstance"],"Resource":"arn:aws:rds:*:*:db:team{n}-*","Condition":{{"StringLike":{{"aws:username":"bench*"}}}}}}"#
            )
        })
        .collect();
    let last = if n == 9 {
        r#"{"Sid":"S9","Effect":"Allow","Action":"rds:Describe*","Resource":"*"}"#.to_owned()
    } else {
        format!(
            r#"{{"Sid":"S9","Effect":"Allow","Action":"rds:List*","Resource":"arn:aws:rds:*:*:db:team{n}-*"}}"#
        )
    };
    statements.push(last);
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// The text of `<name>` in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> anyhow::Result<&'a str> {
    xml.split(&format!("<{name}>"))
        .nth(1)
        .and_then(|rest| rest.split(&format!("</{name}>")).next())
        .with_context(|| format!("no {name} in {xml}"))
}

/// Make the user through the IAM API, as the root; its key and secret.
fn user(server: &Server) -> anyhow::Result<(String, String)> {
    let mut iam = server.client().signing_for("iam");
    let mut call = |body: String| -> anyhow::Result<String> {
        let (status, answer) = iam.post(&format!("Version=2010-05-08&{body}"))?;
        if status != 200 {
            bail!("{body}: {status} {answer}");
        }
        Ok(answer)
    };
    call("Action=CreateUser&UserName=bench".into())?;
    for n in 0..10 {
        call(format!("Action=CreateGroup&GroupName=team{n}"))?;
        call(format!(
            "Action=AddUserToGroup&GroupName=team{n}&UserName=bench"
        ))?;
        let document: String = form_urlencoded::byte_serialize(policy(n).as_bytes()).collect();
        call(format!(
            "Action=PutGroupPolicy&GroupName=team{n}&PolicyName=p{n}&PolicyDocument={document}"
        ))?;
    }
    let key = call("Action=CreateAccessKey&UserName=bench".into())?;
    Ok((
        element(&key, "AccessKeyId")?.to_owned(),
        element(&key, "SecretAccessKey")?.to_owned(),
    ))
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    in_deployment_dir(|dir| {
        let binary = std::path::absolute(&args.cornac)?;
        let server = cornac(&binary, dir, 100, false, &[])?;
        let (key, secret) = user(&server)?;
        let (_, body) = SCENARIOS[0];
        println!(
            "### Authorization: root and a user with 10 policies of 10 statements ({} requests a cell, concurrency {})\n",
            args.requests, args.concurrency
        );
        println!("| round | caller | req/s | p50 ms | p99 ms | user/root |");
        println!("|---|---|---|---|---|---|");
        for round in 1..=args.rounds {
            let (root_rps, root_times) =
                load_as(&|| server.client(), body, args.requests, args.concurrency)?;
            let (user_rps, user_times) = load_as(
                &|| server.client_of(&key, &secret),
                body,
                args.requests,
                args.concurrency,
            )?;
            for (caller, rps, times, ratio) in [
                ("root", root_rps, &root_times, String::new()),
                (
                    "user",
                    user_rps,
                    &user_times,
                    format!("{:.2}", user_rps / root_rps),
                ),
            ] {
                println!(
                    "| {round} | {caller} | {rps:.0} | {} | {} | {ratio} |",
                    ms(percentile(times, 50.0)),
                    ms(percentile(times, 99.0))
                );
            }
        }
        Ok(())
    })
}
