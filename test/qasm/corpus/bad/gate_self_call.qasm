// expect: cannot call itself
OPENQASM 3.0;
include "stdgates.inc";
gate g a { g a; }