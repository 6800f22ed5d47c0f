import { describe, expect, it } from 'vitest';
import { batchPerFrame, latestPerFrame } from '../../../renderer/lib/frame-batch.js';
import { ManualSchedule } from '../fake-api.js';

describe('frame batching', () => {
  it('applies only the latest value offered before a frame, once', () => {
    const frames = new ManualSchedule();
    const applied: number[] = [];
    const offer = latestPerFrame<number>((v) => applied.push(v), frames.schedule);
    offer(1);
    offer(2);
    offer(3);
    expect(frames.pending).toBe(1);
    expect(applied).toEqual([]);
    frames.flush();
    expect(applied).toEqual([3]);
    offer(4);
    frames.flush();
    expect(applied).toEqual([3, 4]);
  });

  it('batches items per frame in order and keeps only the newest `cap`', () => {
    const frames = new ManualSchedule();
    const batches: number[][] = [];
    const offer = batchPerFrame<number>((items) => batches.push(items), 3, frames.schedule);
    for (const n of [1, 2, 3, 4, 5]) offer(n);
    frames.flush();
    expect(batches).toEqual([[3, 4, 5]]);
  });
});
