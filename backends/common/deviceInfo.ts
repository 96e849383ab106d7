/** One device as `qbridge backends` lists it (every vendor's `list<Vendor>Devices` returns these). */
export interface DeviceInfo {
  readonly provider: string;
  readonly name: string;
  readonly numQubits: number;
  readonly status: string;
  /** Jobs waiting, where the provider's API reports a count. */
  readonly queue?: number;
  readonly simulator: boolean;
}
