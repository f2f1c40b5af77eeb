/** The grid's time math lives with the contract (pure, shared with the renderer); re-exported here for node code. */
export * from '../../../preload/contract/grid-time.js';
