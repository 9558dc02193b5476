//! Event categories, as `DescribeEvents` reports and filters them (the RDS names).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html>

crate::stored_enum! {
    /// The category an instance event is recorded under.
    pub enum EventCategory {
        Availability => "availability",
        /// A snapshot taken or finished (of an instance, or the snapshot itself).
        Backup => "backup",
        ConfigurationChange => "configuration change",
        Creation => "creation",
        Deletion => "deletion",
        Failure => "failure",
        Notification => "notification",
    }
}

crate::stored_enum! {
    /// What an event is about (`SourceType`).
    pub enum SourceType {
        DbInstance => "db-instance",
        DbSnapshot => "db-snapshot",
    }
}

#[cfg(test)]
mod tests {
    use super::EventCategory;

    #[test]
    fn names_round_trip() {
        for &c in EventCategory::ALL {
            assert_eq!(EventCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(EventCategory::parse("configuration_change"), None);
    }
}
