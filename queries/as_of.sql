-- as_of: the latest timestamp of any kind in the contacts table (spec reading 8).
SELECT greatest(max(opened_at), max(acknowledged_at), max(first_response_at), max(resolved_at),
                max(follow_up_at), max(updated_at)) AS as_of
FROM contacts
