// expect: positive number of controls
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
ctrl(0) @ x q;