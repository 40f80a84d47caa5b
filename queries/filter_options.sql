-- Values offered by the sidebar filters, with how many contacts / customers carry each.
SELECT 'channel' AS dimension, channel AS value, count(*) AS n FROM contacts WHERE channel IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'team', team, count(*) FROM contacts WHERE team IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'partner', coalesce(partner, 'In-house'), count(*) FROM contacts GROUP BY ALL
UNION ALL
SELECT 'product', product, count(*) FROM customers WHERE product IS NOT NULL GROUP BY ALL
ORDER BY dimension, n DESC, value
