-- The change counter of one map layer (bumped by triggers on its tables; 0002_auth).
SELECT version FROM layer_version WHERE layer = :layer
