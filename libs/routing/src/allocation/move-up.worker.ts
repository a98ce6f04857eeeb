/** Worker-thread entry: solves one move-up problem per message with `recommendMoveUps`. */
import { parentPort } from 'node:worker_threads';
import { MoveUpInput, recommendMoveUps } from './coverage';

parentPort?.on('message', (msg: { id: number; input: MoveUpInput }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: recommendMoveUps(msg.input) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
