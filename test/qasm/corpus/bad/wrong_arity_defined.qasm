// expect: takes 1 parameter
OPENQASM 3.0;
include "stdgates.inc";
gate g(a) x { rx(a) x; }
qubit q;
g q;