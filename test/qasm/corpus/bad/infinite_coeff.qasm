// expect: not a finite
OPENQASM 3.0;
input float t;
qubit q;
rx(1e308 * 10 * t) q;
