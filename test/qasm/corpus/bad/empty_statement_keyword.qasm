// expect: expected a register name
OPENQASM 3.0;
include "stdgates.inc";
qubit;