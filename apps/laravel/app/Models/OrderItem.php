<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;

/**
 * A line of an order at the price charged. Its primary key is
 * (order_id, product_id); lines are inserted in bulk and only read after.
 */
class OrderItem extends Model
{
    protected $primaryKey = null;

    public $incrementing = false;

    public $timestamps = false;

    public function product(): BelongsTo
    {
        return $this->belongsTo(Product::class);
    }
}
