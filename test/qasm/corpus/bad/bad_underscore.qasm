// expect: malformed number
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(1__0) q;