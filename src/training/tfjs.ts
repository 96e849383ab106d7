import * as tf from '@tensorflow/tfjs';

export { tf };

let chosen: Promise<string> | undefined;

/**
 * Picks the tfjs backend once per process: tfjs-node when installed (native TensorFlow; it is an
 * optionalDependency whose install needs a download, so it is often absent), else the WebAssembly
 * backend (SIMD), else the pure-JS cpu backend. Returns the backend's name for the log. The heavy
 * work of a hybrid model is the quantum simulation, done outside tfjs; the classical heads are small.
 * QBRIDGE_TFJS_BACKEND=cpu|wasm|tensorflow forces one.
 */
export function initTfjs(): Promise<string> {
  chosen ??= (async () => {
    const forced = process.env.QBRIDGE_TFJS_BACKEND;
    const tryNode = async (): Promise<boolean> => {
      try {
        // A variable specifier: the package is optional, so it must not be resolved at type-check time.
        const name = '@tensorflow/tfjs-node';
        await import(name);
        return await tf.setBackend('tensorflow');
      } catch {
        return false;
      }
    };
    const tryWasm = async (): Promise<boolean> => {
      try {
        await import('@tensorflow/tfjs-backend-wasm');
        return await tf.setBackend('wasm');
      } catch {
        return false;
      }
    };
    if (forced === 'cpu') await tf.setBackend('cpu');
    else if (forced === 'wasm' && (await tryWasm())) {
      /* chosen */
    } else if (!(forced !== 'wasm' && (await tryNode())) && !(await tryWasm())) await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return chosen;
}
