mod bpt;
mod compile;
mod fuzz;
