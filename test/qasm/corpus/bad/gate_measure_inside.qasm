// expect: not allowed inside a gate
OPENQASM 3.0;
include "stdgates.inc";
gate g a { measure a; }