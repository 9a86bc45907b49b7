//! [`FirstInPlace`]: a list that holds its first item in place and only the rest on the heap.
//!
//! Most races have one address and one attempt (an IP literal, a host with one address): the
//! lists of a race (its addresses, its attempts, the blocking network's sockets) then cost no
//! allocation at all, which on a loopback connect is a measurable share of the race's cost
//! (docs/happy-eyeballs.md, "A plain loopback connect"). Only what the race needs is here.

/// A list in insertion order whose first item is stored in place, the rest in a `Vec`.
///
/// Invariant: `rest` is empty whenever `first` is `None`.
#[derive(Debug)]
pub(crate) struct FirstInPlace<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> Default for FirstInPlace<T> {
    fn default() -> Self {
        FirstInPlace { first: None, rest: Vec::new() }
    }
}

impl<T> FirstInPlace<T> {
    pub(crate) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    /// Makes room for `more` items beyond those held, allocating at most once.
    pub(crate) fn reserve(&mut self, more: usize) {
        let on_heap = more.saturating_sub(usize::from(self.first.is_none()));
        self.rest.reserve(on_heap);
    }

    pub(crate) fn push(&mut self, item: T) {
        match self.first {
            None => self.first = Some(item),
            Some(_) => self.rest.push(item),
        }
    }

    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        match index {
            0 => self.first.as_ref(),
            _ => self.rest.get(index - 1),
        }
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        match index {
            0 => self.first.as_mut(),
            _ => self.rest.get_mut(index - 1),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(&self.rest)
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.first.iter_mut().chain(&mut self.rest)
    }

    /// Removes and returns the item at `index`, shifting the later ones down; `None` past
    /// the end.
    pub(crate) fn remove(&mut self, index: usize) -> Option<T> {
        if index == 0 {
            let first = self.first.take()?;
            if !self.rest.is_empty() {
                self.first = Some(self.rest.remove(0));
            }
            Some(first)
        } else if index <= self.rest.len() {
            Some(self.rest.remove(index - 1))
        } else {
            None
        }
    }

    /// Keeps only the items `keep` answers `true` for, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let first_kept = self.first.as_ref().is_none_or(&mut keep);
        self.rest.retain(&mut keep);
        if !first_kept {
            self.remove(0);
        }
    }
}

impl<T> std::ops::Index<usize> for FirstInPlace<T> {
    type Output = T;

    /// The item at `index`; panics past the end, as a `Vec` does.
    fn index(&self, index: usize) -> &T {
        self.get(index).expect("index within the list")
    }
}

impl<T> std::ops::IndexMut<usize> for FirstInPlace<T> {
    fn index_mut(&mut self, index: usize) -> &mut T {
        self.get_mut(index).expect("index within the list")
    }
}

#[cfg(test)]
mod tests {
    use super::FirstInPlace;

    fn list(items: &[u32]) -> FirstInPlace<u32> {
        let mut list = FirstInPlace::default();
        for &item in items {
            list.push(item);
        }
        list
    }

    fn items(list: &FirstInPlace<u32>) -> Vec<u32> {
        list.iter().copied().collect()
    }

    #[test]
    fn keeps_insertion_order_and_indexes_from_the_first() {
        let mut l = list(&[1, 2, 3]);
        assert_eq!(items(&l), [1, 2, 3]);
        assert_eq!((l.len(), l.get(0), l.get(2), l.get(3)), (3, Some(&1), Some(&3), None));
        assert_eq!((l[0], l[2]), (1, 3));
        l[2] = 3;
        *l.get_mut(1).unwrap() = 20;
        for item in l.iter_mut() {
            *item += 1;
        }
        assert_eq!(items(&l), [2, 21, 4]);
    }

    #[test]
    fn removing_the_first_moves_the_second_in_place() {
        let mut l = list(&[1, 2, 3]);
        assert_eq!(l.remove(0), Some(1));
        assert_eq!(items(&l), [2, 3]);
        assert_eq!(l.remove(1), Some(3));
        assert_eq!(l.remove(1), None);
        assert_eq!(l.remove(0), Some(2));
        assert_eq!(l.len(), 0);
        assert_eq!(l.remove(0), None);
        l.push(7);
        assert_eq!(items(&l), [7]);
    }

    #[test]
    fn retain_keeps_order_whichever_items_go() {
        let mut l = list(&[1, 2, 3, 4, 5]);
        l.retain(|&i| i % 2 == 0);
        assert_eq!(items(&l), [2, 4]);
        l.retain(|&i| i != 2);
        assert_eq!(items(&l), [4]);
        l.retain(|_| false);
        assert_eq!(l.len(), 0);
        l.reserve(3);
        l.push(9);
        assert_eq!(items(&l), [9]);
    }
}
