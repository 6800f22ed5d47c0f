// The one shape of a log function, shared by every layer that logs: the node (pino, to its log
// file), the transport, the supervisor's event history, the console service and the Electron main
// process. A layer that logs takes one of these instead of choosing a logging library.

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
