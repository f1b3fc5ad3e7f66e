"""Payment and e-commerce backends: a payment service talking to a card processor, Magento, an order
service and Shopify-style webhook handlers.

Payments authorised and captured, orders placed, webhooks received and indexers run are routine. A capture,
refund or webhook that failed is an Error. A ledger that does not balance, payments charged twice or
lost, the payment service down for every customer or a corrupted order database is a Critical Error.
Fraud rules, card-testing and signature failures are Security Alerts. An order that could not move
through its business process (fulfilment, invoicing) is a Workflow Error.
"""

from training.corpus.family import Family

PROVIDER = ["stripe", "adyen", "braintree", "paypal"]
SKU = ["SKU-10442", "TSHIRT-BLK-M", "MUG-WHT-12", "GIFT-CARD-50", "BOOK-9781"]

COMMERCE = [
    Family(
        "payment-service",
        "commerce",
        3.0,
        {
            "N": [
                "payment authorised: order={id} amount={float} EUR provider={provider} auth_code={hex8} latency_ms={ms}",
                "payment captured: order={id} amount={float} USD provider={provider} capture_id={hex12}",
                "refund issued: order={id} amount={float} EUR provider={provider} refund_id={hex12}",
                "3-D Secure challenge completed for order={id} provider={provider} result=authenticated",
                "webhook received: event=charge.succeeded id=evt_{hex12} provider={provider}",
                "payout {hex12} of {float} EUR scheduled for {date}",
                "settlement file {date}.csv reconciled: {big} transactions matched",
                "payment-service started on :8443 with {n} workers, provider={provider}",
            ],
            "E": [
                "capture failed: order={id} provider={provider} error=timeout after {ms}ms, will retry",
                "refund failed: order={id} amount={float} EUR provider={provider} error=charge_already_refunded",
                "webhook processing failed: event=charge.refunded id=evt_{hex12}: could not find order {id}",
                "provider {provider} returned HTTP 502 for authorise order={id}; retry {n} of 3",
                "failed to send payment receipt for order {id}: SMTP connection refused",
                "idempotency key conflict for order={id}: request body differs from the original; request rejected",
                "settlement file {date}.csv: {n} transactions could not be matched, sent to manual review",
            ],
            "C": [
                "ledger imbalance detected: debit and credit totals differ by {float} EUR for batch {id}; payouts halted",
                "duplicate charges detected: {n} customers charged twice for the same order; capture queue stopped",
                "payment provider credentials invalid: every authorisation is failing, checkout is down for all customers",
                "transaction journal corrupted: {n} captured payments have no ledger entry; payment data lost",
                "payment-service crashed: panic in capture worker, {n} in-flight payments in unknown state",
            ],
            "S": [
                "fraud rule velocity_card blocked order={id}: {n} cards tried from {ip} in 10 minutes",
                "card testing suspected: {n} declined authorisations from {ip}; address blocked",
                "webhook signature verification failed for event id=evt_{hex12} from {ip}",
                "3-D Secure authentication failed for order={id}: cardholder not authenticated, possible stolen card",
            ],
            "R": [
                "provider {provider} rate limit: {n} of 100 requests per second used",
                "capture queue depth {big}, oldest item {n}s",
            ],
            "D": [
                "provider {provider}: API version 2019-12-03 is deprecated and will stop working on {date}; upgrade the client",
            ],
        },
        words={"provider": PROVIDER},
    ),
    Family(
        "magento",
        "commerce",
        2.0,
        {
            "N": [
                'main.INFO: Cron Job indexer_reindex_all_invalid is successfully finished. Statistics: {{"sum":{float},"count":1}} [] []',
                "main.INFO: Order #{big} placed by customer {id}, grand total {float} [] []",
                "main.INFO: Cache cleaned: config, layout, block_html, full_page [] []",
                "main.INFO: Product {sku} stock updated: qty {n} [] []",
                'main.INFO: Consumer "async.operations.all" processed {n} messages [] []',
                "main.INFO: Invoice #{big} created for order #{big} [] []",
            ],
            "E": [
                'main.ERROR: Cron Job sales_grid_order_async_insert has an error: SQLSTATE[HY000]: General error: 2006 MySQL server has gone away. Statistics: {{"sum":0,"count":1}} [] []',
                "main.CRITICAL: Unable to send mail: Unable to connect via TLS [] []",
                "main.ERROR: Could not reindex catalogsearch_fulltext: Elasticsearch node {host}:9200 timed out [] []",
                "main.ERROR: Payment method checkmo: the order #{big} could not be placed: The requested qty is not available [] []",
                'main.ERROR: Item (Magento\\Catalog\\Model\\Product\\Interceptor) with the same ID "{id}" already exists. [] []',
            ],
            "C": [
                "report.CRITICAL: Error: Allowed memory size of 2147483648 bytes exhausted; the storefront is returning 500 for every page [] []",
                "main.CRITICAL: SQLSTATE[HY000] [1045] Access denied for user 'magento'@'{host}'; the store is down for every customer [] []",
                "main.CRITICAL: Deadlock caused the catalog_product_entity table to be marked as crashed and should be repaired; product data lost [] []",
            ],
            "S": [
                "main.WARNING: Admin login failed for user {user} from {ip} [] []",
                "main.WARNING: Invalid form key: possible CSRF attempt on /admin/sales/order/ from {ip} [] []",
            ],
            "U": [
                "main.INFO: Admin user {person} logged in [] []",
                "main.INFO: Admin user {person} changed the price of product {sku} [] []",
            ],
            "W": [
                "main.ERROR: Order #{big} could not be shipped: the fulfilment workflow has no source assigned [] []",
                "main.ERROR: Invoice for order #{big} could not be created: the order is not in an invoiceable state [] []",
            ],
            "D": [
                "main.WARNING: Magento\\Framework\\Serialize\\Serializer\\Serialize is deprecated and will be removed in the next major release [] []",
            ],
        },
        words={"sku": SKU},
    ),
    Family(
        "order-service",
        "commerce",
        2.5,
        {
            "N": [
                'level=info msg="order created" order_id={id} customer_id={id} items={n} total={float} currency=EUR',
                'level=info msg="order status changed" order_id={id} from=paid to=shipped',
                'level=info msg="stock reserved" order_id={id} sku={sku} qty={n} warehouse=WH-{n}',
                'level=info msg="shipment label created" order_id={id} carrier=dhl tracking={hex12}',
                'level=info msg="cart abandoned reminder sent" cart_id={uuid}',
                'level=info msg="inventory sync completed" skus={big} duration={dur}',
            ],
            "E": [
                'level=error msg="failed to reserve stock" order_id={id} sku={sku} error="inventory service unavailable" retry=true',
                'level=error msg="shipping label request failed" order_id={id} carrier=dhl error="401 Unauthorized"',
                'level=error msg="failed to publish order event" order_id={id} topic=orders error="broker timeout"',
                'level=error msg="inventory sync failed" error="csv row {n}: invalid quantity" skus_done={big}',
                'level=error msg="coupon validation failed" order_id={id} coupon=SPRING{n} error="redis timeout"',
            ],
            "C": [
                'level=fatal msg="cannot connect to orders database; order service is down" error="pq: the database system is shutting down"',
                'level=error msg="orders lost: outbox table truncated before events were published" count={n}',
                'level=fatal msg="inventory counts corrupted: negative stock for {n} SKUs after migration; sales halted"',
            ],
            "W": [
                'level=error msg="order fulfilment workflow failed" order_id={id} step=allocate_warehouse reason="no warehouse can fulfil all items"',
                'level=error msg="return process could not complete" order_id={id} step=refund_approval reason="approver account disabled"',
            ],
            "R": [
                'level=warn msg="order queue backlog" pending={big} workers={n}',
            ],
        },
        words={"sku": SKU},
    ),
    Family(
        "shop-webhooks",
        "commerce",
        1.5,
        {
            "N": [
                "Webhook orders/create received for shop {shop}.myshopify.com (id {big})",
                "Webhook products/update processed in {ms}ms for shop {shop}.myshopify.com",
                "App installed on shop {shop}.myshopify.com, access scopes granted: read_orders,write_products",
                "Bulk operation gid://shopify/BulkOperation/{big} completed: {big} objects",
            ],
            "E": [
                "Webhook orders/paid for shop {shop}.myshopify.com failed: downstream ERP returned 500; will be redelivered",
                "Admin API request for shop {shop}.myshopify.com failed: 429 Too Many Requests, backing off {n}s",
                "Bulk operation gid://shopify/BulkOperation/{big} failed: INTERNAL_SERVER_ERROR",
            ],
            "S": [
                "Webhook HMAC validation failed for shop {shop}.myshopify.com from {ip}; request rejected",
                "OAuth callback rejected for shop {shop}.myshopify.com: state parameter mismatch",
            ],
            "C": [
                "Product sync wiped {big} products from shop {shop}.myshopify.com after an empty feed; catalogue data lost",
            ],
        },
        words={"shop": ["acme-store", "demo-shop", "tees-and-mugs", "bookcorner"]},
    ),
]

FAMILIES = COMMERCE
