mod bpt;
