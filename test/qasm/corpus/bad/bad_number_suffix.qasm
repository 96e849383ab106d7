// expect: malformed number '12abc'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(12abc) q;