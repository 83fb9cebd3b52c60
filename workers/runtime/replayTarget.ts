// The replay header is read by the sinks and by the web app's live feed (which never announces a replay again).
export { isReplayForAnotherSink, REPLAY_SINK_HEADER, replayTargetOf } from '../../lib/kafka/replayTarget';
