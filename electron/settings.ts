// The desktop app's own small settings file (userData/settings.json). A missing, unreadable or
// malformed file means defaults: settings are a convenience and must never keep the app from starting.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const settingsSchema = z.object({
  /** Absolute folder of the workspace open when the app last ran; reopened at start. */
  lastWorkspace: z.string().min(1).optional(),
});

export type DesktopSettings = z.infer<typeof settingsSchema>;

export async function readSettings(file: string): Promise<DesktopSettings> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Writes a temporary file and renames it over the old one, so a crash never leaves half a file. */
export async function writeSettings(file: string, settings: DesktopSettings): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

/** A writer that applies writes one after another in call order, so the last call's settings win. */
export function serialSettingsWriter(file: string): (settings: DesktopSettings) => Promise<void> {
  let previous: Promise<unknown> = Promise.resolve();
  return (settings) => {
    const write = previous.catch(() => undefined).then(() => writeSettings(file, settings));
    previous = write;
    return write;
  };
}
