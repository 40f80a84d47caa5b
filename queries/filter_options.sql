-- Values offered by the sidebar filters, with how many contacts / customers carry each. The
-- contacts' are kept by every upload (store/filter_values.py); the customers' are few enough to count.
SELECT dimension, value, n FROM contact_filter_values
UNION ALL
SELECT 'product', product, count(*) FROM customers WHERE product IS NOT NULL GROUP BY ALL
ORDER BY dimension, n DESC, value
