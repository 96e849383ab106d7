// expect: division by zero
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(1/0) q;