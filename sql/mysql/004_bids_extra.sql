-- The fields of a bid beyond the columns above, added to the bid schema
-- after its first version (optional fields: README, "Changing the bid
-- schema"), as one JSON object; NULL for a bid that has none. A worker of any
-- version keeps here whatever fields the record carries beyond the columns,
-- including ones it does not know yet, so none is dropped.
ALTER TABLE bids ADD COLUMN extra JSON NULL COMMENT 'fields beyond the columns, as a JSON object'
