// Place an order and accept it with Node's fetch (Node 18 and later).
// Run against `mockwhmcs serve`:  node examples/first_order.mjs
const url = process.env.MOCKWHMCS_URL ?? "http://127.0.0.1:8080/includes/api.php";

async function whmcs(params) {
  const body = new URLSearchParams({
    identifier: "mockwhmcs-identifier",
    secret: "mockwhmcs-secret",
    responsetype: "json",
    ...params,
  });
  const response = await fetch(url, { method: "POST", body });
  return response.json();
}

const order = await whmcs({
  action: "AddOrder",
  clientid: "1",
  "pid[0]": "1",
  "billingcycle[0]": "monthly",
  paymentmethod: "mailin",
});
console.log(`AddOrder: ${order.result} orderid=${order.orderid} invoiceid=${order.invoiceid}`);
const accept = await whmcs({ action: "AcceptOrder", orderid: String(order.orderid) });
console.log(`AcceptOrder: ${accept.result}`);
