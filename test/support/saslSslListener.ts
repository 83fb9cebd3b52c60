import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { fromRoot } from '../../lib/paths';

function isListening(hostPort: string): Promise<boolean> {
  const separator = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostPort.slice(0, separator), port: Number(hostPort.slice(separator + 1)) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The client settings of the local broker's SASL_SSL listener, as
 * `npm run stack:up` writes them to `$STACK_HOME/kafka/sasl-ssl.env`
 * (STACK_HOME is `.stack` by default): bootstrap address, SASL_SSL, PLAIN,
 * the user and password, and the stack's CA file. Fails, saying what to do,
 * when the stack has not made them or its broker does not listen there.
 */
export async function saslSslListenerSettings(): Promise<Record<string, string>> {
  const stackHome = process.env.STACK_HOME ?? fromRoot('.stack');
  const file = path.join(stackHome, 'kafka', 'sasl-ssl.env');
  if (!fs.existsSync(file)) {
    throw new Error(
      `no ${file}: the local broker has no SASL_SSL listener yet; run npm run stack:up with this STACK_HOME`,
    );
  }
  const settings = dotenv.parse(fs.readFileSync(file));
  const bootstrap = settings.KAFKA_BOOTSTRAP_SERVERS ?? '';
  if (!(await isListening(bootstrap))) {
    throw new Error(
      `nothing listens on ${bootstrap}, the SASL_SSL listener ${file} names: the local broker was started ` +
        'without it; restart it (npm run stack:down, then npm run stack:up)',
    );
  }
  return settings;
}
