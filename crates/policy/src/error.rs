//! Why a policy document is refused: each variant is one fault, and its `Display` is the
//! message IAM's `MalformedPolicyDocument` answers for it (several faults share AWS's generic
//! "Syntax errors in policy." or "The policy failed legacy parsing"; their [`Fault`] still
//! names what was wrong, for logs and tests).

/// A refused policy document. `to_string()` is AWS's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    /// Not the grammar of a policy (JSON, an element's type, an unknown element or operator).
    #[error("Syntax errors in policy.")]
    Syntax(Fault),
    /// `Principal` or `NotPrincipal` in an identity-based policy.
    #[error("Policy document should not specify a principal.")]
    Principal,
    /// Refused by IAM's legacy parser (an effect's case, a date, an ARN's shape).
    #[error("The policy failed legacy parsing")]
    Legacy(Fault),
    #[error("Statement IDs (SID) in a single policy must be unique.")]
    DuplicateSid(String),
    #[error("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")]
    SidNotAlphanumeric(String),
    /// A statement with no `Action`/`NotAction`, or an empty list.
    #[error("Policy statement must contain actions.")]
    NoActions,
    /// A statement with no `Resource`/`NotResource`, or an empty list.
    #[error("Policy statement must contain resources.")]
    NoResources,
    #[error("Resource {0} must be in ARN format or \"*\".")]
    ResourceNotArn(String),
    #[error("Partition \"{partition}\" is not valid for resource \"{resource}\".")]
    Partition { partition: String, resource: String },
    #[error("Resource vendor must be fully qualified and cannot contain regexes.")]
    ResourceVendor(String),
    #[error("IAM resource {0} cannot contain region information.")]
    IamRegion(String),
    #[error("IAM resource path must either be \"*\" or start with {IAM_PATHS}.")]
    IamPath(String),
    /// An action or condition key without `vendor:`.
    #[error("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    NoVendor(String),
    #[error("Actions/Condition can contain only one colon.")]
    Colons(String),
    #[error("Vendor {0} is not valid")]
    Vendor(String),
}

/// The resource types an IAM ARN may name, as IAM lists them in its refusal.
pub(crate) const IAM_PATHS: &str = "user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/";

/// What exactly a generic refusal ([`Malformed::Syntax`], [`Malformed::Legacy`]) was about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("the document is not a JSON object")]
    NotObject,
    #[error("unknown element {0}")]
    UnknownElement(String),
    #[error("Version {0} is not 2012-10-17 or 2008-10-17")]
    Version(String),
    #[error("{0} is not a string")]
    NotString(&'static str),
    #[error("no Statement")]
    NoStatement,
    #[error("Statement is neither an object nor a non-empty list")]
    Statement,
    #[error("a statement is not an object")]
    StatementNotObject,
    #[error("both {0} and Not{0}")]
    Both(&'static str),
    #[error("no Effect")]
    NoEffect,
    #[error("Effect {0} is neither Allow nor Deny")]
    Effect(String),
    #[error("{0} is neither a string nor a list of strings")]
    NotStrings(&'static str),
    #[error("Condition is not an object of objects of strings or lists of strings")]
    Condition,
    #[error("unknown condition operator {0}")]
    UnknownOperator(String),
    #[error("Effect {0} is not spelled Allow or Deny")]
    EffectCase(String),
    #[error("date {0} is not ISO 8601 nor epoch seconds")]
    Date(String),
    #[error("resource {0} is not shaped as an ARN")]
    Resource(String),
}
