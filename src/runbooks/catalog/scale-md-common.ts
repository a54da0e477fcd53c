// What every scale-md step shares: its parameters, the count being asked for, and the pool as it is now.
import type { RunContext } from '../types.js';
import { readMachineDeployment, readPool, type Pool } from './pool.js';

/** Parameters of scale-md after validation. */
export interface ScaleParams {
  md: string;
  namespace: string;
  replicas: number;
}

/** A scale-md step's context. */
export type ScaleCtx = RunContext<ScaleParams>;

/** The MachineDeployment and its machines now; throws when the MachineDeployment is gone. */
export async function readScalePool(ctx: ScaleCtx): Promise<Pool> {
  const md = await readMachineDeployment(ctx, ctx.params.namespace, ctx.params.md);
  if (!md) throw new Error(`MachineDeployment ${ctx.params.namespace}/${ctx.params.md} not found`);
  return readPool(ctx, md);
}

/** The count being asked for: the operator's edited input, else the parameter. */
export function targetReplicas(ctx: ScaleCtx): number {
  const edited = ctx.inputs.replicas;
  return edited !== undefined && /^\d+$/.test(edited) ? Number(edited) : ctx.params.replicas;
}

/** The desired count (spec.replicas), else the number of machines. */
export const currentReplicas = (p: Pool) => p.md.desired ?? p.machines.length;

/** Machines not being deleted. */
export const liveMachines = (p: Pool) => p.machines.filter((m) => !m.machine.deleting);
