import pino, { type Logger } from "pino";
import type { Config } from "../config";
import { containsCardNumber, maskSensitive } from "../modules/masking/mask";

/** Secrets never reach the logs: headers that carry them and body fields that name them are censored. */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "*.password",
        "*.passwordHash",
        "*.token",
        "*.tokenHash",
        "*.secret",
      ],
      censor: "[redacted]",
    },
    hooks: {
      // The last gate before a line leaves the process: whatever a log call carried, card numbers go out masked.
      streamWrite: (line) => (containsCardNumber(line) ? maskSensitive(line).text : line),
    },
  });
}
