<?php
// Place an order and accept it, the way PHP integrations call WHMCS: cURL and http_build_query.
// Run against `mockwhmcs serve`:  php examples/first_order.php
$url = getenv('MOCKWHMCS_URL') ?: 'http://127.0.0.1:8080/includes/api.php';

function whmcs(string $url, array $params): array
{
    $params += ['identifier' => 'mockwhmcs-identifier', 'secret' => 'mockwhmcs-secret', 'responsetype' => 'json'];
    $curl = curl_init($url);
    curl_setopt($curl, CURLOPT_POST, true);
    curl_setopt($curl, CURLOPT_POSTFIELDS, http_build_query($params));
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, true);
    $body = curl_exec($curl);
    curl_close($curl);
    return json_decode($body, true);
}

$order = whmcs($url, [
    'action' => 'AddOrder',
    'clientid' => 1,
    'pid' => [1],
    'billingcycle' => ['monthly'],
    'paymentmethod' => 'mailin',
]);
echo "AddOrder: {$order['result']} orderid={$order['orderid']} invoiceid={$order['invoiceid']}\n";
$accept = whmcs($url, ['action' => 'AcceptOrder', 'orderid' => $order['orderid']]);
echo "AcceptOrder: {$accept['result']}\n";
