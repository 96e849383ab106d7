// expect: undefined identifier 'alpha'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(alpha) q;