//! What a Describe action lists: a selector is `None` when nothing was asked of its field, else
//! the values a listed item's field must be among. A parameter and the filter of the same field
//! (or two filters of one name) both apply, so each narrows what the other kept.

pub type Selector<T> = Option<Vec<T>>;

/// Narrows `selector` to `values` (the first condition on the field sets it).
pub fn narrow<T: PartialEq>(selector: &mut Selector<T>, values: Vec<T>) {
    match selector {
        None => *selector = Some(values),
        Some(kept) => kept.retain(|v| values.contains(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_on_one_field_all_apply() {
        let mut s: Selector<&str> = None;
        narrow(&mut s, vec!["a", "b"]);
        assert_eq!(s.as_deref(), Some(&["a", "b"][..]));
        narrow(&mut s, vec!["b", "c"]);
        assert_eq!(s.as_deref(), Some(&["b"][..]));
        narrow(&mut s, vec!["c"]);
        assert_eq!(s.as_deref(), Some(&[][..]), "nothing matches both");
    }
}
