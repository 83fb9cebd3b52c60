-- The last bids on an item, newest first, for the bid page: the first rows of
-- this index for that item (bid_ts is set when the bid is accepted; within one
-- item, which is one partition's key, the offset breaks ties in topic order).
ALTER TABLE bids ADD KEY bids_by_item_recent (item, bid_ts DESC, kafka_offset DESC)
