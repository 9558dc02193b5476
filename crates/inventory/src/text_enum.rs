//! Enums stored as `text`: `text_enum!` declares an enum whose snake_case names strum derives,
//! mapped to SQL with diesel's `ToSql`/`FromSql`, so the names are written once, on the enum,
//! and a name the enum does not know fails to load.

/// Declare `enum $name { … }` (unit variants) as a `Copy` type stored as `text` by its
/// snake_case name, which `Display` also writes. The crate that uses it depends on diesel
/// and strum.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            diesel::AsExpression,
            diesel::FromSqlRow,
            strum::IntoStaticStr,
            strum::EnumString,
            strum::Display,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[strum(serialize_all = "snake_case")]
        $vis enum $name {
            $($(#[$vmeta])* $variant),*
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                let name: &'static str = self.into();
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    name, out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let name = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(value)?;
                name.parse()
                    .map_err(|_| format!("unknown {}: {name:?}", stringify!($name)).into())
            }
        }
    };
}
