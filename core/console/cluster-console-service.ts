// Placeholder until the supervisor lands: the lead replaces this file with the real service.
import type { ConsoleService, ConsoleServiceOptions } from './console-service.js';

export const ClusterConsoleService = {
  async open(_options: ConsoleServiceOptions): Promise<ConsoleService> {
    throw new Error('The console service is not available in this build yet.');
  },
};
