// expect: 'opaque'
OPENQASM 2.0;
include "qelib1.inc";
opaque g a;
