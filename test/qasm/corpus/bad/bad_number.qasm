// expect: expected
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(1.5.2) q;