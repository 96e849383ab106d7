/**
 * Child-process entry for the reliability tests: runs the qbridge CLI from source (through tsx), so a
 * test can SIGKILL a real `qbridge` process at any instant. Usage: node --import tsx cli.ts ARGS...
 */
import { runCli } from '../../../cli/main.js';

process.exitCode = await runCli(process.argv);
