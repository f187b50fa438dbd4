"""The Meta webhook receiver: verified deliveries in, events through the same ingest path.

`server.WebhookServer` answers Meta's subscription handshake and takes signed POSTs;
`signature` checks them on the raw bytes; `meta_events` turns a delivery into events of the
contract (../shared/contracts/events.md) that `workstation.ingest.Ingestor` stores, so a
comment that arrives by webhook and again by polling is one message.
"""
