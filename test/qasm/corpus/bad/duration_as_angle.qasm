// expect: duration cannot be used as a gate parameter
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx(100ns) q;