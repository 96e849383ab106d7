// expect: undefined qubit register 'r'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
h r[0];