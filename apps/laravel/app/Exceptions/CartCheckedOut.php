<?php

namespace App\Exceptions;

class CartCheckedOut extends ApiException
{
    public function __construct()
    {
        parent::__construct(409, 'cart_checked_out', 'The cart is already checked out.');
    }
}
