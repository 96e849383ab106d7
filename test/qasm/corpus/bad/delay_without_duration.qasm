// expect: expected a duration
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
delay[3] q;