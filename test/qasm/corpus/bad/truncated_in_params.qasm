// expect: expected
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(0.5 q;