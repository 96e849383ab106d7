// expect: expected digits after '\$'
OPENQASM 3.0;
include "stdgates.inc";
h $;