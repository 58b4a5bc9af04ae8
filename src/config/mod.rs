pub mod funcs;
