//! Reading a portal's names and ids into a [`Snapshot`].
